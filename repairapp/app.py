"""RepairApp, the product API the SPA calls: repair requests, uploads, staff actions.

Only wiring lives here; see chalicelib/ for routes, services and the SmartRe client.
"""

from chalice import Chalice

from chalicelib.routes import api

app = Chalice(app_name="repairapp")
app.register_blueprint(api)

"""RepairApp, the product API the SPA calls: repair requests, uploads, staff actions.

Only wiring lives here; see chalicelib/ for routes, services and the SmartRe client. The
middleware binds each request to its own thread (``repaircore.request_context``).
"""

from chalice import Chalice

from chalicelib.routes import api
from chalicelib.tasks import tasks
from repaircore.local_gateway import use_gateway_responses
from repaircore.logs import configure_logging
from repaircore.request_context import bind_request

configure_logging()
use_gateway_responses()  # only under `chalice local`: API Gateway's refusals in our shape
app = Chalice(app_name="repairapp")
app.register_middleware(bind_request, "http")
app.register_blueprint(api)
app.register_blueprint(tasks)

"""SmartRe, the ML service: photo intake, the parallel analysis workflow, products, feedback.

Only wiring lives here; see chalicelib/ for routes, workflow tasks and services.
"""

from chalice import Chalice

from chalicelib.routes import api
from chalicelib.tasks import workflow

app = Chalice(app_name="smartre")
app.register_blueprint(api)
app.register_blueprint(workflow)

"""SmartRe, the ML service: photo intake, the parallel analysis workflow, products, feedback.

Only wiring lives here; see chalicelib/ for routes, workflow tasks and services. The middleware
binds each request to its own thread (``repaircore.request_context``).
"""

from chalice import Chalice

from chalicelib.routes import api
from chalicelib.tasks import workflow
from repaircore.logs import configure_logging
from repaircore.request_context import bind_request

configure_logging()
app = Chalice(app_name="smartre")
app.register_middleware(bind_request, "http")
app.register_blueprint(api)
app.register_blueprint(workflow)

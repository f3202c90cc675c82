"""SmartRe, the ML service: photo intake, the parallel analysis workflow, products, feedback.

Only wiring lives here; see chalicelib/ for routes, workflow tasks and services. The middleware
binds each request to its own thread (``repaircore.request_context``).
"""

from chalice import Chalice

from chalicelib.routes import api
from chalicelib.tasks import workflow
from repaircore.local_gateway import use_gateway_responses
from repaircore.logs import configure_logging
from repaircore.request_context import bind_request

configure_logging()
use_gateway_responses()  # only under `chalice local`: API Gateway's refusals in our shape
app = Chalice(app_name="smartre")
app.register_middleware(bind_request, "http")
app.register_blueprint(api)
app.register_blueprint(workflow)

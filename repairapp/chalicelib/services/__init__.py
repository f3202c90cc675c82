"""RepairApp's use cases: no HTTP here, and AWS only through the adapters in ``resources``."""

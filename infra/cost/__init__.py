"""What the stage costs: the measured daily spend (Cost Explorer) and an estimate per analysis.

``python -m infra.cost report`` is the Cost Explorer "daily spend by service" view as a table and
a PNG, with the month to date against the budget; ``python -m infra.cost estimate`` prices the
architecture for N analyses a month from ``infra/prices.json``.
"""

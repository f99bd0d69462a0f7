"""Text reports over a warehouse."""

from .models import Warehouse
from .pricing import with_tax


def lines(warehouse: Warehouse):
    return [item.describe() for item in warehouse.items]


def summarize(warehouse):
    body = "\n".join(lines(warehouse))
    total = with_tax(warehouse.total_value())
    return f"{warehouse.name}:\n{body}\ntotal incl. tax: {total:.2f}"

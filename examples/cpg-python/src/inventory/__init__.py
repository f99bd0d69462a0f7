"""A tiny inventory package: the source tree of examples/cpg-python."""

from .models import Item, Perishable, Warehouse
from .report import summarize

__all__ = ["Item", "Perishable", "Warehouse", "summarize", "demo"]


def demo():
    warehouse = Warehouse("north")
    warehouse.add(Item("bolt", 0.25, 400))
    warehouse.add(Perishable("milk", 1.10, 30, days_left=2))
    return summarize(warehouse)

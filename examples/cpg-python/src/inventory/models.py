"""Items and the warehouse that stocks them."""

from . import pricing


class Item:
    def __init__(self, name, unit_price, quantity):
        self.name = name
        self.unit_price = unit_price
        self.quantity = quantity

    def value(self):
        return pricing.line_total(self.unit_price, self.quantity)

    def describe(self):
        return f"{self.name} x{self.quantity} = {self.value():.2f}"


class Perishable(Item):
    def __init__(self, name, unit_price, quantity, days_left):
        super().__init__(name, unit_price, quantity)
        self.days_left = days_left

    def value(self):
        full = pricing.line_total(self.unit_price, self.quantity)
        return pricing.discount(full, self.markdown())

    def markdown(self):
        return 0.5 if self.days_left <= 2 else 0.0


class Warehouse:
    def __init__(self, name):
        self.name = name
        self.items = []

    def add(self, item):
        self.items.append(item)
        return item

    def find(self, name):
        for item in self.items:
            if item.name == name:
                return item
        return None

    def total_value(self):
        return sum(item.value() for item in self.items)

    def restock(self, name, quantity):
        item = self.find(name)
        if item is None:
            raise KeyError(name)
        item.quantity += quantity
        return item

"""The typed protocol model: metadata, materials, vessels, steps, products and claims."""

from benchsheet.model.claims import Claim
from benchsheet.model.equipment import Equipment, Vessel
from benchsheet.model.materials import GasCharge, GasFlow, InlineReagent, Material
from benchsheet.model.product import Composition, Dopant, Product, Reaction
from benchsheet.model.protocol import Acknowledgement, Parameter, Protocol, Variant
from benchsheet.model.steps import Step

__all__ = [
    "Acknowledgement", "Claim", "Composition", "Dopant", "Equipment", "GasCharge", "GasFlow",
    "InlineReagent", "Material", "Parameter", "Product", "Protocol", "Reaction", "Step",
    "Variant", "Vessel",
]

"""The safety categories: stable ids (used in the model and JSON) and the labels readers see.

Shared by the classifier (viewer/core/safety.py), the renderer, the exports and the GUI, so a
category is named the same way everywhere.
"""

from __future__ import annotations

CATEGORY_LABELS = {
    "side-effects": "Side effects",
    "dosage": "Dosage caution",
    "dependence": "Dependence and misuse",
    "interactions": "Interactions and medical conditions",
    "medical-supervision": "Medical supervision",
    "legal-status": "Regulation and legal status",
    "product-quality": "Product quality and sourcing",
}


def category_label(category_id: str) -> str:
    """The reader-facing label for a category id; unknown ids are shown tidied, not hidden."""
    return CATEGORY_LABELS.get(category_id) or category_id.replace("-", " ").capitalize()

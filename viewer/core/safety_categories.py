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

# Severities of a warning sentence, strongest first (see tests/fixtures/safety_dev/GUIDE.md):
# "warning" serious harm, overdose, dependence, interactions, contraindications, pregnancy,
# children, legal; "caution" common mild side effects and dosing limits; "advice" a generic
# "ask a professional".
SEVERITIES = ("warning", "caution", "advice")
SEVERITY_LABELS = {"warning": "Warning", "caution": "Caution", "advice": "Advice"}


def category_label(category_id: str) -> str:
    """The reader-facing label for a category id; unknown ids are shown tidied, not hidden."""
    return CATEGORY_LABELS.get(category_id) or category_id.replace("-", " ").capitalize()


def ordered_categories(categories) -> list[str]:
    """Categories in the order readers see them everywhere (CATEGORY_LABELS)."""
    known = [c for c in CATEGORY_LABELS if c in categories]
    return known + sorted(c for c in set(categories) if c not in CATEGORY_LABELS)


def strongest(severities) -> str:
    """The strongest of these severities, "" for none."""
    present = set(severities)
    return next((s for s in SEVERITIES if s in present), "")

"""The medical disclaimer shown in the About box and at the foot of every export and printout."""

DISCLAIMER = (
    "These articles are information, not medical advice. They may be incomplete, out of date or "
    "wrong, and they do not replace a doctor, pharmacist or other qualified professional. Talk to "
    "one before you start, stop or change any substance, medicine or dose, and get urgent help "
    "for severe symptoms."
)

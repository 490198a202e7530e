#!/usr/bin/env bash
# Rebuild corpus/ from the raw seed articles with the project's own importer.
# The titles and file names are the ones a reader wants in a library list; the text is untouched.
set -euo pipefail
cd "$(dirname "$0")/.."
seeds=${1:-../shared/seeds}
python=${PYTHON:-.venv/bin/python}
"$python" -m viewer import -o corpus \
  --title "000_6cd72b71dfe4cf61.txt=Kratom for Opioid Withdrawal: How It Works, Benefits and Side Effects" \
  --name  "000_6cd72b71dfe4cf61.txt=kratom-opioid-withdrawal" \
  --title "001_53af46e0bafb944c.txt=Kratom for Chronic Pain and Opioid Withdrawal: Dosage and Science" \
  --name  "001_53af46e0bafb944c.txt=kratom-chronic-pain-dosage" \
  --title "002_d39550b56c11c95b.txt=Kratom as a Solution for Opioid Withdrawal: Mechanisms, Risks and Hair Loss" \
  --name  "002_d39550b56c11c95b.txt=kratom-withdrawal-hair-loss" \
  --title "003_e3c51f6344bccb7e.txt=Kratom for Opioid Detox: Withdrawal, Hyperpigmentation and Safe Use" \
  --name  "003_e3c51f6344bccb7e.txt=kratom-detox-hyperpigmentation" \
  --title "004_960f16e241099e67.txt=Does Kratom Increase Dopamine? Opioid Withdrawal and Safe Use" \
  --name  "004_960f16e241099e67.txt=kratom-dopamine-withdrawal" \
  "$seeds"/*.txt

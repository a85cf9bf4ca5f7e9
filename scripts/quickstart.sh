#!/usr/bin/env bash
# One command from a fresh machine to a chart: prepare the controller, run the main job against
# the local sandbox host, then ask the deployed API for a natal chart.
set -euo pipefail

cd "$(dirname "$0")/.."
scripts/bootstrap.sh

export PATH="$PWD/.venv/bin:$PATH"
ansible-playbook deploy.yml

curl --fail-with-body --silent --show-error http://127.0.0.1:8080/v1/natal-chart \
  -H 'Content-Type: application/json' \
  -d '{"datetime": "1990-06-15T14:30:00", "timezone": "Europe/London",
       "latitude": 51.5074, "longitude": -0.1278}'
echo

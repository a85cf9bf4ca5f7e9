"""Watch which release answers /v1/health while a deploy runs, and count every other answer.

Usage: poll_health.py URL EXPECTED OUTPUT STOP_FILE. Requests URL/v1/health every 0.2 s until
STOP_FILE exists (or five minutes pass). Writes `<seconds since start> <answer>` to OUTPUT each
time the answer changes (the release when the status is 200, else the HTTP status or the error),
and ends with `<seconds> stopped <requests> <unexpected>`: how many requests were made, and how
many were not answered 200 by release EXPECTED.
"""

import json
import pathlib
import sys
import time
import urllib.error
import urllib.request


def answer(url: str) -> str:
    try:
        with urllib.request.urlopen(url + "/v1/health", timeout=1) as response:
            if response.status != 200:
                return f"http:{response.status}"
            return json.load(response)["release"]
    except urllib.error.HTTPError as error:
        return f"http:{error.code}"
    except (OSError, ValueError, KeyError) as error:
        return f"error:{type(error).__name__}"


def main() -> None:
    url, expected = sys.argv[1], sys.argv[2]
    output, stop_file = pathlib.Path(sys.argv[3]), pathlib.Path(sys.argv[4])
    started = time.monotonic()
    last = None
    requests = unexpected = 0
    with output.open("w") as log:
        while not stop_file.exists() and time.monotonic() - started < 300:
            current = answer(url)
            requests += 1
            unexpected += current != expected
            if current != last:
                log.write(f"{time.monotonic() - started:.1f} {current}\n")
                log.flush()
                last = current
            time.sleep(0.2)
        log.write(f"{time.monotonic() - started:.1f} stopped {requests} {unexpected}\n")


if __name__ == "__main__":
    main()

"""Docker HEALTHCHECK probe of the ephemeris API: exit 0 when /v1/ready answers 200, else 1.

Standard library only, so it works in the runtime image without extra packages. The probe goes to
127.0.0.1 inside the container, on the port the API listens on ($PORT, default 8000). The first
line of output is kept by Docker in `docker inspect` and says why a probe failed.
"""

import os
import sys
import urllib.error
import urllib.request

TIMEOUT_SECONDS = float(os.environ.get("HEALTHCHECK_TIMEOUT", "3"))


def main() -> int:
    url = f"http://127.0.0.1:{os.environ.get('PORT') or '8000'}/v1/ready"
    try:
        with urllib.request.urlopen(url, timeout=TIMEOUT_SECONDS) as response:
            status = response.status
    except urllib.error.HTTPError as error:
        # 503 means the API runs but its ephemeris files are unusable.
        sys.stdout.write(f"unhealthy: {url} answered {error.code}\n")
        return 1
    except (OSError, ValueError) as error:
        sys.stdout.write(f"unhealthy: {url} unreachable: {error}\n")
        return 1
    if status != 200:
        sys.stdout.write(f"unhealthy: {url} answered {status}\n")
        return 1
    sys.stdout.write(f"healthy: {url} answered 200\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())

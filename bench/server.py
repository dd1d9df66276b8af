"""Serve the app for the benchmark; `--zonder-onderhoud` switches the summary hook off.

Only the benchmark uses the switch, to measure what keeping the summary tables costs a
registration. It is not a setting of the service.
"""

import argparse

import uvicorn

from app.main import create_app
from app.trajecten.aankondiging import LUISTERAARS


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--zonder-onderhoud", action="store_true")
    args = parser.parse_args()
    if args.zonder_onderhoud:
        LUISTERAARS.clear()
    uvicorn.run(create_app(), host="127.0.0.1", port=args.port, log_level="warning")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""A relay simulator in Python (standard library only), speaking drmg's line-delimited JSON protocol on stdin/stdout.

Two relay stations forward a message along a chain of 3 hops (states 0, 1, 2 = the hop the message is at, 3 = delivered,
4 = lost). At every step each station picks its transmit power: 0 (low) or 1 (high). A hop succeeds with probability
0.5 + 0.2 * (number of stations on high power); a failed hop loses the message with probability 0.3 and otherwise
retries. Rewards (each station, in [0, 1]): 1 while the message is delivered, 0 once it is lost, else 0.1 for a station
that saved energy (low power) and 0 for one on high power. Lost is absorbing with reward 0 for both (the TV analysis's
failure state). Uncertainty: TV, radius 0.1 for both stations (reality may be a bit worse than the simulator).

Run by drmg: drmg train --env-cmd "python3 examples/external/relay_sim.py" --learner mornavi-tv --episodes 500
Flags: --no-model (decline the "model" request: drmg then reports Monte Carlo returns, not exact gaps).
Protocol: docs/external-envs.md.
"""
import json
import random
import sys

HOPS, DELIVERED, LOST = 3, 3, 4
S, H, ACTIONS = 5, 6, [2, 2]


def next_distribution(s, a0, a1):
    """The simulator's nominal P(. | s, a) as a list of S probabilities."""
    p = [0.0] * S
    if s in (DELIVERED, LOST):
        p[s] = 1.0
        return p
    q = 0.5 + 0.2 * (a0 + a1)
    p[s + 1] += q
    p[LOST] += (1 - q) * 0.3
    p[s] += (1 - q) * 0.7
    return p


def reward(s, a, i):
    if s == DELIVERED:
        return 1.0
    if s == LOST:
        return 0.0
    return 0.1 if a[i] == 0 else 0.0


def model():
    """The nominal model as a drmg-game/1 document (joint action j = a0 * 2 + a1)."""
    joint = [(a0, a1) for a0 in range(2) for a1 in range(2)]
    return {
        "format": "drmg-game/1",
        "name": "relay (python)",
        "states": S,
        "horizon": H,
        "actions": ACTIONS,
        "initial": [1, 0, 0, 0, 0],
        "reward": [[[[reward(s, a, i) for i in range(2)] for a in joint] for s in range(S)] for _ in range(H)],
        "transition": [[[next_distribution(s, *a) for a in joint] for s in range(S)] for _ in range(H)],
        "uncertainty": {"divergence": "tv", "radius": [0.1, 0.1]},
        "failureStates": [[LOST], [LOST]],
    }


def main():
    serve_model = "--no-model" not in sys.argv[1:]
    rng = random.Random(0)
    state = 0
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        req = json.loads(line)
        rid, method, params = req.get("id"), req.get("method"), req.get("params") or {}
        if method == "spaces":
            result = {"name": "relay (python)", "agents": 2, "actions": ACTIONS, "states": S, "horizon": H,
                      "divergence": "tv", "radius": 0.1}
        elif method == "model":
            if not serve_model:
                print(json.dumps({"id": rid, "error": {"message": "this simulator has no model"}}), flush=True)
                continue
            result = model()
        elif method == "reset":
            rng.seed(params.get("seed", 0))
            state = 0
            result = {"state": state}
        elif method == "step":
            a0, a1 = params["actions"]
            rewards = [reward(state, (a0, a1), i) for i in range(2)]
            state = rng.choices(range(S), weights=next_distribution(state, a0, a1))[0]
            result = {"state": state, "rewards": rewards}
        elif method == "close":
            return
        else:
            print(json.dumps({"id": rid, "error": {"message": f"unknown method {method!r}"}}), flush=True)
            continue
        print(json.dumps({"id": rid, "result": result}), flush=True)


if __name__ == "__main__":
    main()

"""Numba kernel: continuous-time asynchronous trajectories (Gillespie), MaBoSS semantics (internal).

A state is ``W`` uint64 words (bit ``i % 64`` of word ``i // 64`` is node ``i``).
Every trajectory draws from its own SplitMix64 stream, seeded from ``(seed, index)``,
so results do not depend on how trajectories are batched.
"""

import numpy as np
from numba import njit

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)


@njit(cache=True)
def _mix(z):
    z = (z ^ (z >> np.uint64(30))) * _M1
    z = (z ^ (z >> np.uint64(27))) * _M2
    return z ^ (z >> np.uint64(31))


@njit(cache=True)
def _uniform(rng):
    """A double in (0, 1]; ``rng`` is a one-element uint64 array (the stream's counter)."""
    rng[0] += _GOLDEN
    z = _mix(rng[0])
    return (np.float64(z >> np.uint64(11)) + 1.0) * (1.0 / 9007199254740992.0)


@njit(cache=True)
def _bit(state, i):
    return (state[i >> 6] >> np.uint64(i & 63)) & np.uint64(1)


@njit(cache=True)
def _eval(state, regs, n_regs, table_off, tables, i):
    idx = 0
    for j in range(n_regs[i]):
        idx |= np.int64(_bit(state, regs[i, j])) << j
    return tables[table_off[i] + idx]


@njit(cache=True)
def trajectories(n, regs, n_regs, table_off, tables, up, down, p_on,
                 ph_regs, ph_nregs, ph_off, ph_tables, n_ph,
                 t_max, tick, n_win, seed, first, count, sums, sumsqs, final, discrete=False):
    """Run trajectories ``first .. first + count - 1`` up to time ``t_max``.

    ``discrete``: every transition takes exactly ``tick`` instead of an exponential
    time (MaBoSS's ``discrete_time = 1``); the node that flips is drawn as before.

    Observables are the ``n`` nodes then ``n_ph`` phenotypes (truth tables like the
    nodes').  For each trajectory the share of time each observable holds in window
    ``k`` (``[k tick, min((k + 1) tick, t_max))``) is added to ``sums[k, o]`` and its
    square to ``sumsqs[k, o]``; the state at ``t_max`` goes to ``final[j - first]``.
    Returns the number of transitions taken.
    """
    W = final.shape[1]
    n_obs = n + n_ph
    state = np.zeros(W, np.uint64)
    rates = np.zeros(max(n, 1))
    acc = np.zeros((n_win, n_obs))
    obs = np.zeros(n_obs)
    rng = np.zeros(1, np.uint64)
    steps = 0
    for j in range(first, first + count):
        rng[0] = _mix(np.uint64(seed) * _GOLDEN + np.uint64(j + 1) * _M2)
        state[:] = 0
        for i in range(n):
            if _uniform(rng) <= p_on[i] and p_on[i] > 0.0:
                state[i >> 6] |= np.uint64(1) << np.uint64(i & 63)
        acc[:, :] = 0.0
        t = 0.0
        while True:
            total = 0.0
            for i in range(n):
                cur = _bit(state, i)
                r = 0.0
                if _eval(state, regs, n_regs, table_off, tables, i) != cur:
                    r = down[i] if cur else up[i]
                rates[i] = r
                total += r
            if total > 0.0:
                dt = tick if discrete else -np.log(_uniform(rng)) / total
            else:
                dt = np.inf
            t_next = t + dt
            if t_next > t_max:
                t_next = t_max
            # time-weighted observables over [t, t_next)
            for i in range(n):
                obs[i] = np.float64(_bit(state, i))
            for p in range(n_ph):
                obs[n + p] = np.float64(_eval(state, ph_regs, ph_nregs, ph_off, ph_tables, p))
            k = int(t / tick)
            a = t
            while a < t_next and k < n_win:
                b = (k + 1) * tick
                if b > t_next:
                    b = t_next
                d = b - a
                if d > 0.0:
                    for o in range(n_obs):
                        if obs[o] != 0.0:
                            acc[k, o] += d
                a = b
                k += 1
            if t + dt >= t_max:
                break
            u = _uniform(rng) * total
            pick = n - 1
            c = 0.0
            for i in range(n):
                c += rates[i]
                if u <= c and rates[i] > 0.0:
                    pick = i
                    break
            while rates[pick] == 0.0:  # rounding at the top end
                pick -= 1
            state[pick >> 6] ^= np.uint64(1) << np.uint64(pick & 63)
            t = t + dt
            steps += 1
        for k in range(n_win):
            width = min((k + 1) * tick, t_max) - k * tick
            for o in range(n_obs):
                v = acc[k, o] / width
                sums[k, o] += v
                sumsqs[k, o] += v * v
        final[j - first, :] = state
    return steps

"""Erlang C figures at the edges a mutation run showed the other tests did not reach."""
import math

import numpy as np
import pytest

from cxtoolkit.queueing import erlang_c, erlang_c_metrics


def test_overloaded_queue_figures():
    # 200 calls/h × 180 s = 10 Erlangs on 8 agents: every call waits, none within T, the
    # queue grows without bound, agents are busy all the time (occupancy 100 %, not more)
    m = erlang_c_metrics(8, 200, 180, within_s=20)
    assert float(m["p_wait"]) == 1.0
    assert float(m["service_level"]) == 0.0
    assert math.isinf(float(m["asa_s"]))
    assert float(m["occupancy"]) == 1.0
    # exactly as many agents as Erlangs is not stable either
    m = erlang_c_metrics(10, 200, 180, within_s=20)
    assert (float(m["p_wait"]), float(m["service_level"]), float(m["occupancy"])) == (1.0, 0.0, 1.0)


def test_erlang_c_closed_forms():
    # M/M/2 with utilisation rho = a / 2: C = 2 rho^2 / (1 + rho); a = 1 -> 1/3.
    # M/M/1: C(1, a) = a (the probability to wait is the utilisation)
    assert float(erlang_c(2, 1.0)) == pytest.approx(1 / 3, rel=1e-12)
    assert np.allclose(erlang_c(1, [0.2, 0.5, 0.9]), [0.2, 0.5, 0.9], rtol=1e-12)

"""Shared by the PyTorch peers (peers/torch_*.py): wall times of a step, after warm-up."""
import time


def step_times_ms(step, warmup, reps):
    """Runs `step` `warmup` times untimed, then `reps` times, and returns those wall times in ms."""
    for _ in range(warmup):
        step()
    times = []
    for _ in range(reps):
        t0 = time.perf_counter()
        step()
        times.append((time.perf_counter() - t0) * 1e3)
    return times

"""Hypothesis strategies for the client tests."""

from __future__ import annotations

from hypothesis import strategies as st

machine_counts = st.integers(min_value=0, max_value=250)
page_sizes = st.integers(min_value=1, max_value=100)

"""Entity sets as declarations: types from the spec subset and overlays, behaviour in hooks."""

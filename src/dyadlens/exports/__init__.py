"""Exports of the stored events for other tools: GDELT-style CSV, GraphML, FollowTheMoney."""

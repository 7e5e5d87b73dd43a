"""What readers see: filters and URL state, the map, the timeline, exports and interface labels."""

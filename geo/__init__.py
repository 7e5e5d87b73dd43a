"""Places of Iraq: the offline gazetteer (`geo.gazetteer`) and its data files."""

"""One module per dashboard tab, each with `render(published)`. A tab selects and filters mart columns
and formats them: every number it shows is computed by a mart, so BI tools reading the same marts show
the same numbers."""

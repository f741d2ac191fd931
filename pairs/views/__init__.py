"""Pages of learning pairs, one module per seam: the pair workspace, the facilitator's overview, activities."""

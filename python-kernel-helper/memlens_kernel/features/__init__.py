"""Features beside the snapshot: dataframe detail, dask clusters, the per-cell timeline, actions."""

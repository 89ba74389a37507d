"""The snapshot pipeline: names to report, their records, holders, progressive passes."""

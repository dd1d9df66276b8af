"""The annual analysis and the cross tables: summary tables, queries, suppression, CSV."""

"""The dashboard: one programme's period at a glance, in charts with their figures.

`data` gathers what the page shows in a fixed number of queries, `statuses` counts the
statuses per period, `measure_list` searches and sorts the measures, `views` serves it.
The money comes from measures.overview and the charts from reports.chart, the same as
the "op koers" page and the report use.
"""

"""The annual analysis and the cross tables: summary tables, queries, suppression, CSV."""

# Whoever uses the analysis has it listen to trajecten from then on: the summary tables follow
# every registration and correction (app.trajecten.aankondiging).
from app.analyse import onderhoud as onderhoud

"""The DPMPTSP office's queue reports (``/kantor/laporan/``, ``/api/v1/reports/summary/``):
the figures (``figures``) computed in the database from the rows kept per closed day
(``summaries``) and the history of the days not kept yet, their tables (``tables``),
and the tables as CSV and Excel files (``exports``)."""

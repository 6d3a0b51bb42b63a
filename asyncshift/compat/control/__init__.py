"""The control wing: what an operator uses to run a migration, beside the runtime shims in ``compat``.

Records and reports (``results``), promotion gates (``gates``, ``promote``), automatic rollback
(``autorollback``, fed at ``async`` by the in-process ``meter``), the flags shared across a fleet
(``fleet``), the project's settings (``project``), side-by-side runs on demand (``replay``, on
rolled-back ``sandbox`` transactions), the whole migration at a glance (``status``,
``dashboard``) and the ``asyncshift`` commands (``commands``). The runtime shims never import
this wing.
"""

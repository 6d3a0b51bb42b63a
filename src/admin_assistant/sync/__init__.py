"""The old stack: sync SQLAlchemy ``Session``, Flask, Typer, the thread scheduler.

Mirror image of ``admin_assistant.aio``: same file names, classes and methods, in the same order.
"""

"""The new stack: ``AsyncSession``, FastAPI, AsyncClick, the asyncio scheduler.

Mirror image of ``admin_assistant.sync``: same file names, classes and methods, in the same order.
"""

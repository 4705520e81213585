"""Printed documents (打印件): the customer confirmation letter, the channel's visit sheet, the
commission statement, rendered to PDF by WeasyPrint with Noto CJK, each carrying a QR code of
the entry it rests on that ``/verify/`` and ``guishu verify-receipt`` check."""

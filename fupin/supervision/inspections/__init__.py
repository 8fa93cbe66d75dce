"""Inspections (执法检查) with checklists, findings and evidence, rectification orders,
the yearly assessments (目标管理考评) they bar, and the archive bureau's guidance visits."""

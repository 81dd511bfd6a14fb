"""Maintenance scripts (make student, make figures, make slides); importable by the tests."""

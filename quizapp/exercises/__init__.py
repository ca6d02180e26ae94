"""Exercises: answer grading, the safe formula evaluator, and templates drawn afresh.  Pure.

Import what you need from its module (``quizapp.exercises.instances``,
``checking``, ``grading``, ``validation``, ``formula``): loading this package
loads none of them, so grading a typed answer never loads the formula evaluator.
"""

"""QuizApp: offline spaced-repetition study of machine-learning parameters."""

__version__ = "0.1.0"

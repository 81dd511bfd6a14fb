"""The batteries of student answers, one module per notebook (battery_NN.py)."""

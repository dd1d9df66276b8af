"""Ervaring: the kwartiermaker's monitor, questionnaires on a 1-5 scale, counted per wijk."""

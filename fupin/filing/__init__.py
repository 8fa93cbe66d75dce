"""The filing workflow (备案): a locality's refinement of the schedule or its implementation rules
go draft → filed → accepted, or returned with a reason and filed again as a new round. One
declaration of the states, their moves and labels (`models.py`), one service for each move
(`services.py`); the schedule's refinements and supervision's local rules both call it."""

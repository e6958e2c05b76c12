# Read by `flask` on a developer machine (python-dotenv comes with the [dev] extra).
# Variables already set win: the production units set CASEWORK_ENV=production.
CASEWORK_ENV=development

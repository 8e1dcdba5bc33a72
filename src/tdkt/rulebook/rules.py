from tdkt.accounts.rules import register

register("rulebook.view_eligibility", "rulebook.run_eligibility", "rulebook.change_settings")

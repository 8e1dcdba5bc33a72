from tdkt.accounts.rules import register

register("reviews.view", "reviews.manage")

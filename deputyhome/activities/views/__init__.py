"""Pages, by area, for station standards, rules, campaigns, activities, problems, referrals and statistics.

Thin views: permission → form → one service → redirect. Every queryset comes from a selector.
"""

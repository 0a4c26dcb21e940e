from django.urls import path

from .views import activities, campaigns, problems, standards, stats

app_name = "activities"
urlpatterns = [
    # Activities
    path("", activities.ActivityList.as_view(), name="activity_list"),
    path("new/", activities.ActivityForm.as_view(), name="activity_create"),
    path("<id:pk>/", activities.activity_detail, name="activity_detail"),
    path("<id:pk>/edit/", activities.ActivityForm.as_view(), name="activity_update"),
    path("<id:pk>/delete/", activities.ActivityDelete.as_view(), name="activity_delete"),
    path("<id:activity_pk>/outputs/new/", activities.OutputForm.as_view(), name="output_create"),
    path("outputs/<id:pk>/edit/", activities.OutputForm.as_view(), name="output_update"),
    path("outputs/<id:pk>/delete/", activities.OutputDelete.as_view(), name="output_delete"),
    path("outputs/<id:pk>/file/", activities.output_file, name="output_file"),
    path("photos/<id:pk>/", activities.activity_photo, name="activity_photo"),
    # Problems and the fast lane
    path("problems/", problems.ProblemList.as_view(), name="problem_list"),
    path("problems/new/", problems.ProblemForm.as_view(), name="problem_create"),
    path("problems/<id:pk>/", problems.problem_detail, name="problem_detail"),
    path("problems/<id:pk>/edit/", problems.ProblemForm.as_view(), name="problem_update"),
    path("problems/<id:pk>/delete/", problems.ProblemDelete.as_view(), name="problem_delete"),
    path("problems/<id:pk>/<slug:action>/", problems.problem_action, name="problem_action"),
    path("referrals/", problems.ReferralList.as_view(), name="referral_list"),
    path("referrals/<id:pk>/", problems.referral_detail, name="referral_detail"),
    path("referrals/<id:pk>/reply/", problems.referral_reply, name="referral_reply"),
    # Campaigns
    path("campaigns/", campaigns.CampaignList.as_view(), name="campaign_list"),
    path("campaigns/new/", campaigns.CampaignForm.as_view(), name="campaign_create"),
    path("campaigns/<id:pk>/", campaigns.campaign_detail, name="campaign_detail"),
    path("campaigns/<id:pk>/edit/", campaigns.CampaignForm.as_view(), name="campaign_update"),
    path("campaigns/<id:pk>/delete/", campaigns.CampaignDelete.as_view(), name="campaign_delete"),
    path("campaigns/<id:pk>/themes/", campaigns.theme_set, name="theme_set"),
    path("campaigns/<id:pk>/topics/", campaigns.topic_set, name="topic_set"),
    path("themes/<id:pk>/delete/", campaigns.ThemeDelete.as_view(), name="theme_delete"),
    path("topics/<id:pk>/delete/", campaigns.TopicDelete.as_view(), name="topic_delete"),
    # Station standards and rules
    path("standards/", standards.StandardList.as_view(), name="standard_list"),
    path("standards/new/", standards.StandardForm.as_view(), name="standard_create"),
    path("standards/<id:pk>/edit/", standards.StandardForm.as_view(), name="standard_update"),
    path("standards/pass-score/", standards.policy, name="policy"),
    path("assessments/", standards.AssessmentList.as_view(), name="assessment_list"),
    path("assessments/overview/", standards.AssessmentOverview.as_view(), name="assessment_overview"),
    path("assessments/new/", standards.assessment_create, name="assessment_create"),
    path("assessments/<id:pk>/", standards.assessment_detail, name="assessment_detail"),
    path("assessments/<id:pk>/edit/", standards.assessment_update, name="assessment_update"),
    path("assessments/<id:pk>/delete/", standards.AssessmentDelete.as_view(), name="assessment_delete"),
    path("evidence/<id:pk>/", standards.evidence_photo, name="evidence_photo"),
    path("rules/", standards.RuleList.as_view(), name="rule_list"),
    path("rules/new/", standards.RuleForm.as_view(), name="rule_create"),
    path("rules/<id:pk>/", standards.rule_detail, name="rule_detail"),
    path("rules/<id:pk>/edit/", standards.RuleForm.as_view(), name="rule_update"),
    path("rules/<id:rule_pk>/versions/new/", standards.RuleVersionForm.as_view(), name="rule_version_create"),
    path("rules/<id:rule_pk>/post/", standards.posting_create, name="posting_create"),
    path("postings/<id:pk>/delete/", standards.PostingDelete.as_view(), name="posting_delete"),
    # Statistics
    path("stats/", stats.stats_page, name="stats"),
]

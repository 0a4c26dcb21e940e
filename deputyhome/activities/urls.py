from django.urls import path

from . import views

app_name = "activities"
urlpatterns = [
    # Activities
    path("", views.ActivityList.as_view(), name="activity_list"),
    path("new/", views.ActivityForm.as_view(), name="activity_create"),
    path("<int:pk>/", views.activity_detail, name="activity_detail"),
    path("<int:pk>/edit/", views.ActivityForm.as_view(), name="activity_update"),
    path("<int:pk>/delete/", views.ActivityDelete.as_view(), name="activity_delete"),
    path("<int:activity_pk>/outputs/new/", views.OutputForm.as_view(), name="output_create"),
    path("outputs/<int:pk>/edit/", views.OutputForm.as_view(), name="output_update"),
    path("outputs/<int:pk>/delete/", views.OutputDelete.as_view(), name="output_delete"),
    path("outputs/<int:pk>/file/", views.output_file, name="output_file"),
    path("photos/<int:pk>/", views.activity_photo, name="activity_photo"),
    # Problems and the fast lane
    path("problems/", views.ProblemList.as_view(), name="problem_list"),
    path("problems/new/", views.ProblemForm.as_view(), name="problem_create"),
    path("problems/<int:pk>/", views.problem_detail, name="problem_detail"),
    path("problems/<int:pk>/edit/", views.ProblemForm.as_view(), name="problem_update"),
    path("problems/<int:pk>/delete/", views.ProblemDelete.as_view(), name="problem_delete"),
    path("problems/<int:pk>/<slug:action>/", views.problem_action, name="problem_action"),
    path("referrals/", views.ReferralList.as_view(), name="referral_list"),
    path("referrals/<int:pk>/", views.referral_detail, name="referral_detail"),
    path("referrals/<int:pk>/reply/", views.referral_reply, name="referral_reply"),
    # Campaigns
    path("campaigns/", views.CampaignList.as_view(), name="campaign_list"),
    path("campaigns/new/", views.CampaignForm.as_view(), name="campaign_create"),
    path("campaigns/<int:pk>/", views.campaign_detail, name="campaign_detail"),
    path("campaigns/<int:pk>/edit/", views.CampaignForm.as_view(), name="campaign_update"),
    path("campaigns/<int:pk>/delete/", views.CampaignDelete.as_view(), name="campaign_delete"),
    path("campaigns/<int:pk>/themes/", views.theme_set, name="theme_set"),
    path("campaigns/<int:pk>/topics/", views.topic_set, name="topic_set"),
    path("themes/<int:pk>/delete/", views.ThemeDelete.as_view(), name="theme_delete"),
    path("topics/<int:pk>/delete/", views.TopicDelete.as_view(), name="topic_delete"),
    # Station standards and rules
    path("standards/", views.StandardList.as_view(), name="standard_list"),
    path("standards/new/", views.StandardForm.as_view(), name="standard_create"),
    path("standards/<int:pk>/edit/", views.StandardForm.as_view(), name="standard_update"),
    path("standards/pass-score/", views.policy, name="policy"),
    path("assessments/", views.AssessmentList.as_view(), name="assessment_list"),
    path("assessments/overview/", views.AssessmentOverview.as_view(), name="assessment_overview"),
    path("assessments/new/", views.assessment_create, name="assessment_create"),
    path("assessments/<int:pk>/", views.assessment_detail, name="assessment_detail"),
    path("assessments/<int:pk>/edit/", views.assessment_update, name="assessment_update"),
    path("assessments/<int:pk>/delete/", views.AssessmentDelete.as_view(), name="assessment_delete"),
    path("evidence/<int:pk>/", views.evidence_photo, name="evidence_photo"),
    path("rules/", views.RuleList.as_view(), name="rule_list"),
    path("rules/new/", views.RuleForm.as_view(), name="rule_create"),
    path("rules/<int:pk>/", views.rule_detail, name="rule_detail"),
    path("rules/<int:pk>/edit/", views.RuleForm.as_view(), name="rule_update"),
    path("rules/<int:rule_pk>/versions/new/", views.RuleVersionForm.as_view(), name="rule_version_create"),
    path("rules/<int:rule_pk>/post/", views.posting_create, name="posting_create"),
    path("postings/<int:pk>/delete/", views.PostingDelete.as_view(), name="posting_delete"),
    # Statistics
    path("stats/", views.stats_page, name="stats"),
]

Feature: Every submission is checked against its form
  Bad input is answered with 422 problem+json and one error per field; nothing is stored.

  Background:
    Given the branch officers are on duty

  Scenario: An application with a short NIK, a fractional amount and an unknown field
    When an account officer submits an application with NIK "12345", amount 80000000.5 and an extra field "discount"
    Then the answer is 422 problem+json with errors for "applicant.nik", "amount" and "discount"
    And no application was stored

  Scenario: A survey without a result
    Given an account officer registers a "multiguna" application for Rp 80000000 over 36 months
    When the documents are complete
    And the surveyor submits a survey without a result
    Then the answer is 422 problem+json with errors for "result"
    And the open task is "survey_applicant" for the role "surveyor"

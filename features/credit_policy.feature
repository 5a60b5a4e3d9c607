Feature: The default credit policy decides, from the decision tables
  DSR, credit history, age at the last installment and LTV follow DOMAIN.md's default policy.

  Background:
    Given the branch officers are on duty

  Scenario: A declared DSR above 60 % is rejected at pre-screening
    Given an account officer registers a "multiguna" application for Rp 80000000 over 36 months with a declared income of Rp 4000000
    When the documents are complete
    Then the pre-screen rejects it with "DSR_ABOVE_PRESCREEN_LIMIT"

  Scenario Outline: The DSR from verified income sets the policy band
    Given an account officer registers a "multiguna" application for Rp 80000000 over 36 months
    When the documents are complete
    And the surveyor verifies an income that puts the DSR at <dsr> basis points
    And the analyst recommends approval of the full amount
    Then the policy result is "<result>" with <levels> escalation levels
    And the approval tier is "<tier>"

    Examples:
      | dsr  | result   | levels | tier                  |
      | 3000 | within   | 0      | branch_credit_manager |
      | 3500 | within   | 0      | branch_credit_manager |
      | 3501 | escalate | 1      | branch_manager        |
      | 5000 | escalate | 1      | branch_manager        |

  Scenario: A DSR above 50 % cannot be approved
    Given an account officer registers a "multiguna" application for Rp 80000000 over 36 months
    When the documents are complete
    And the surveyor verifies an income that puts the DSR at 5001 basis points
    And the analyst recommends approval of the full amount
    Then the policy result is "decline" with 0 escalation levels
    And the rejection reason is "DSR_ABOVE_LIMIT"

  Scenario Outline: The worst collectibility in SLIK over 12 months
    Given an account officer registers a "multiguna" application for Rp 80000000 over 36 months for NIK "<nik>"
    When the documents are complete
    Then the credit bureau reports collectibility <class>
    And the pre-screen result is "<prescreen>"

    Examples:
      | nik              | class | prescreen |
      | 3273012505880001 | 1     | pass      |
      | 3273012505880007 | 2     | pass      |
      | 3273012505880008 | 3     | reject    |
      | 3273012505880009 | 5     | reject    |

  Scenario: Collectibility 2 needs one authority level higher
    Given an account officer registers a "multiguna" application for Rp 80000000 over 36 months for NIK "3273012505880007"
    When the documents are complete
    And the surveyor finds everything valid
    And the analyst recommends approval of the full amount
    Then the policy result is "escalate" with 1 escalation levels
    And the approval tier is "branch_manager"

  Scenario Outline: The applicant's age on the date of the last installment
    Given an account officer registers a "multiguna" application for Rp 80000000 over 36 months for an "<employment>" aged <age> at the last installment
    When the documents are complete
    Then the pre-screen result is "<prescreen>"

    Examples:
      | employment     | age | prescreen |
      | employee       | 55  | pass      |
      | employee       | 56  | reject    |
      | business_owner | 65  | pass      |
      | business_owner | 66  | reject    |

  Scenario Outline: The amount may not exceed the appraised collateral times the product's LTV
    Given an account officer registers a "multiguna" application for Rp 70000000 over 36 months
    When the documents are complete
    And the surveyor finds everything valid
    And the analyst appraises the collateral at Rp <appraised> and recommends approval
    Then the policy result is "<result>" with 0 escalation levels

    Examples:
      | appraised | result  |
      | 100000000 | within  |
      | 99999999  | decline |

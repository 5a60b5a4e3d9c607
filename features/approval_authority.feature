Feature: Approval follows the authority levels (BWMK) with four eyes
  The tier follows from the amount and the escalations; each approver decides within a personal
  limit, and nobody approves an application they collected or analysed.

  Background:
    Given the branch officers are on duty

  Scenario Outline: The amount sets the authority tier
    Given an account officer registers a "kpr" application for Rp <amount> over 240 months with a declared income of Rp 900000000
    When the documents are complete
    And the surveyor verifies an income of Rp 900000000
    And the analyst appraises the collateral at Rp 5000000000 and recommends approval
    Then the approval tier is "<tier>"
    And the approval needs <votes> votes

    Examples:
      | amount     | tier                  | votes |
      | 100000000  | branch_credit_manager | 1     |
      | 100000001  | branch_manager        | 1     |
      | 1000000000 | branch_manager        | 1     |
      | 1000000001 | credit_committee      | 3     |

  Scenario Outline: Each "one level higher" rule moves the case one tier up
    Given an account officer registers a "kpr" application for Rp 500000000 over 240 months with a declared income of Rp 900000000 for NIK "<nik>"
    When the documents are complete
    And the surveyor verifies an income that puts the DSR at <dsr> basis points
    And the analyst appraises the collateral at Rp 5000000000 and recommends approval
    Then the policy result is "escalate" with <levels> escalation levels
    And the approval tier is "<tier>"

    Examples:
      | nik              | dsr  | levels | tier             |
      | 3273012505880001 | 4000 | 1      | credit_committee |
      | 3273012505880007 | 3000 | 1      | credit_committee |
      | 3273012505880007 | 4000 | 2      | beyond_authority |

  Scenario: Above the committee there is nothing, so the case is declined
    Given an account officer registers a "kpr" application for Rp 1500000000 over 240 months with a declared income of Rp 900000000
    When the documents are complete
    And the surveyor verifies an income that puts the DSR at 4000 basis points
    And the analyst appraises the collateral at Rp 5000000000 and recommends approval
    Then the approval tier is "beyond_authority"
    And the rejection reason is "BEYOND_AUTHORITY"
    And the application waits for the account officer to notify the applicant

  Scenario: An approver below the tier's limit may not decide
    Given an account officer registers a "multiguna" application for Rp 80000000 over 36 months
    When the documents are complete
    And the surveyor finds everything valid
    And the analyst recommends approval of the full amount
    Then "junior" is refused the approval task as above their authority limit
    And "bm" may approve it as a higher authority

  Scenario: Whoever analysed an application may not approve it
    Given an account officer registers a "multiguna" application for Rp 80000000 over 36 months
    When the documents are complete
    And the surveyor finds everything valid
    And "analyst_approver" analyses it and recommends approval of the full amount
    Then "analyst_approver" is refused the approval task by separation of duties

  Scenario Outline: The credit committee decides by majority
    Given an account officer registers a "kpr" application for Rp 1500000000 over 240 months with a declared income of Rp 900000000
    When the documents are complete
    And the surveyor verifies an income of Rp 900000000
    And the analyst appraises the collateral at Rp 5000000000 and recommends approval
    And the committee votes "<first>", "<second>" and "<third>"
    Then the open task is "<next_task>" for the role "<role>"

    Examples:
      | first   | second  | third   | next_task        | role           |
      | approve | approve | reject  | sign_contract    | operations     |
      | approve | reject  | reject  | notify_rejection | account_officer |
      | return  | return  | approve | analyse_credit   | credit_analyst |

  Scenario: A committee member votes once per round
    Given an account officer registers a "kpr" application for Rp 1500000000 over 240 months with a declared income of Rp 900000000
    When the documents are complete
    And the surveyor verifies an income of Rp 900000000
    And the analyst appraises the collateral at Rp 5000000000 and recommends approval
    And "director1" votes "approve"
    Then "director1" is refused a second vote by separation of duties

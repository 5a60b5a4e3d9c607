Feature: Disbursed credit is monitored every month until it is paid off
  When a credit is disbursed it becomes a loan. Core banking tells Alur when the payout is
  confirmed, when an installment is paid, how many days a payment is late and when the loan is
  paid off (lunas). On each monthly review date the loan's collectibility class follows from its
  days past due (OJK bands): class 2 gets a follow-up by the account officer, class 3 or worse
  goes to collection for a rescue plan that an approver decides. Commercial debtors are visited
  every six months.

  Background:
    Given the branch officers are on duty

  Scenario Outline: The monthly review classifies the loan by its days past due
    Given a "multiguna" credit of Rp 80000000 over 36 months was disbursed on 2026-11-25
    When core banking reports <days> days past due
    And the monthly review date passes
    Then the loan is in collectibility class <class>
    And the open work on the loan is "<work>"

    Examples:
      | days | class | work                   |
      | 0    | 1     | nothing                |
      | 30   | 2     | follow_up_late_payment |
      | 90   | 2     | follow_up_late_payment |
      | 91   | 3     | prepare_rescue_plan    |
      | 150  | 4     | prepare_rescue_plan    |
      | 181  | 5     | prepare_rescue_plan    |

  Scenario: A late payer is followed up by the account officer
    Given a "multiguna" credit of Rp 80000000 over 36 months was disbursed on 2026-11-25
    When core banking reports 20 days past due
    And the monthly review date passes
    And the account officer records a WhatsApp follow-up with a promise to pay
    Then the open work on the loan is "nothing"
    And the next review is on 2027-01-25

  Scenario: A non-performing loan is rescued with an approved plan
    Given a "multiguna" credit of Rp 80000000 over 36 months was disbursed on 2026-11-25
    When core banking reports 100 days past due
    And the monthly review date passes
    And collection proposes rescheduling with 6 more months
    And the branch credit manager sends the plan back for revision
    Then the open work on the loan is "prepare_rescue_plan"
    When collection proposes rescheduling with 12 more months
    Then the open work on the loan is "approve_rescue_plan"
    When the collector who proposed the plan tries to approve it
    Then that is refused as a separation of duties
    When the branch credit manager approves the plan
    Then the loan runs over 48 months with 1 rescue plan
    And the open work on the loan is "nothing"

  Scenario: A rejected rescue plan changes nothing in the loan's terms
    Given a "multiguna" credit of Rp 80000000 over 36 months was disbursed on 2026-11-25
    When core banking reports 130 days past due
    And the monthly review date passes
    And collection proposes rescheduling with 12 more months
    And the branch credit manager rejects the plan
    Then the loan runs over 36 months with 0 rescue plan
    And the open work on the loan is "nothing"

  Scenario: An installment paid before the payout is confirmed waits for the loan
    Given a "multiguna" credit of Rp 80000000 over 36 months was disbursed
    When core banking reports an installment paid before confirming the payout
    Then core banking is told the message is kept
    When core banking confirms the payout on 2026-11-25
    Then the loan has 1 installment paid

  Scenario: Commercial debtors are visited every six months
    Given a "kmk" credit of Rp 80000000 over 24 months was disbursed on 2026-11-25
    When 5 monthly reviews pass with every installment paid
    Then the open work on the loan is "nothing"
    When the monthly review date passes
    Then the open work on the loan is "visit_debtor"

  Scenario: A paid-off loan is closed
    Given a "multiguna" credit of Rp 80000000 over 36 months was disbursed on 2026-11-25
    When 3 monthly reviews pass with every installment paid
    And core banking reports the loan paid off
    Then the loan is "paid_off" and nothing is open
